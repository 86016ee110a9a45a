"""The demo's one page: pick who you are, then chat with Staffroom in Microsoft's Web Chat."""

from __future__ import annotations

import html
import json

from bot.demo.directline import DemoPerson

#: Microsoft's published Web Chat bundle; `staffroom demo --webchat-url` points elsewhere.
DEFAULT_WEBCHAT_URL = "https://cdn.botframework.com/botframework-webchat/latest/webchat.js"

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Staffroom demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }}
  header {{ padding: 0.6rem 1rem; background: #31356e; color: white; display: flex; flex-wrap: wrap;
           gap: 0.4rem 1rem; align-items: center; }}
  header h1 {{ font-size: 1.1rem; margin: 0; white-space: nowrap; }}
  header label {{ margin-left: auto; display: flex; gap: 0.4rem; align-items: center; min-width: 0;
                 max-width: 100%; white-space: nowrap; }}
  #person {{ min-width: 0; max-width: 20rem; flex: 0 1 auto; font-size: 1rem; }}
  #clock {{ font-size: 0.85rem; opacity: 0.85; white-space: nowrap; }}
  /* A phone: the picker gets a row of its own, as wide as the screen. */
  @media (max-width: 600px) {{
    header label {{ margin-left: 0; flex: 1 1 100%; }}
    #person {{ flex: 1 1 auto; max-width: 100%; }}
  }}
  #webchat {{ flex: 1; min-height: 0; }}
  #webchat > div {{ height: 100%; }}
  #problem {{ padding: 1rem; color: #a00; }}
</style>
</head>
<body>
<header>
  <h1>Staffroom demo</h1>
  <span id="clock">School time: {clock}</span>
  <label>You are
    <select id="person" aria-label="Who you are">
{options}
    </select>
  </label>
</header>
<div id="problem" hidden></div>
<div id="webchat" role="main"></div>
<script src="{webchat_url}"></script>
<script>
const people = {people};
let directLine = null;

async function become(email) {{
  const response = await fetch('/demo/session', {{
    method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: JSON.stringify({{email}})
  }});
  const session = await response.json();
  if (directLine) {{ directLine.end(); }}
  directLine = window.WebChat.createDirectLine({{
    domain: location.origin + '/v3/directline', token: session.token,
    conversationId: session.conversationId, webSocket: false, pollingInterval: 500
  }});
  const host = document.getElementById('webchat');
  host.replaceChildren();
  const element = document.createElement('div');
  element.dataset.person = email;
  host.appendChild(element);
  window.WebChat.renderWebChat({{
    directLine, userID: session.userId, username: session.name, locale: 'en-GB',
    styleOptions: {{ botAvatarInitials: 'SR', userAvatarInitials: session.initials, hideUploadButton: true }}
  }}, element);
  document.body.dataset.person = email;
}}

const select = document.getElementById('person');
select.addEventListener('change', () => become(select.value));
if (!window.WebChat) {{
  const problem = document.getElementById('problem');
  problem.hidden = false;
  problem.textContent = 'Web Chat could not be loaded from ' + {webchat_url_json}
    + '. Start the demo with --webchat-url or --webchat-file.';
}} else {{
  become(select.value);
}}
</script>
</body>
</html>
"""


def render_page(people: list[DemoPerson], webchat_url: str, clock: str) -> str:
    """The HTML page; every value from the school's files is escaped."""
    options = "\n".join(
        f'      <option value="{html.escape(p.email)}">{html.escape(p.name)} — {html.escape(p.job_title)}</option>'
        for p in people
    )
    people_json = json.dumps([{"email": p.email, "name": p.name} for p in people]).replace("</", "<\\/")
    return _PAGE.format(
        options=options,
        people=people_json,
        webchat_url=html.escape(webchat_url, quote=True),
        webchat_url_json=json.dumps(webchat_url).replace("</", "<\\/"),
        clock=html.escape(clock),
    )
