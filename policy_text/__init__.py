"""The bundled policy texts: one folder a school, one Markdown file a policy."""

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent
DEMO_SCHOOL_DIR = BUNDLED_DIR / "demo"
