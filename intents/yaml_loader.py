"""The YAML loader for the router's data files: libyaml's safe loader when installed (start-up time)."""

import yaml

#: Safe either way; the C loader parses the lexicon about ten times faster.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
