import base64
import json
import re

from altcha import v1 as altcha


def solved(html: str) -> dict:
    """The form fields a browser with JavaScript would send: the proof of work, solved."""
    found = re.search(r'<script id="pow-challenge" type="application/json">(.*?)</script>', html, re.S)
    challenge = json.loads(found.group(1))
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return {"altcha": base64.b64encode(json.dumps(payload).encode()).decode()}


def answered(html: str) -> dict:
    """The form fields a browser without JavaScript would send: the question, answered."""
    a, b = map(int, re.search(r"How much is (\d+) plus (\d+)\?", html).groups())
    token = re.search(r'name="question_token" value="([^"]+)"', html).group(1)
    return {"answer": str(a + b), "question_token": token}


def codename_in(html: str) -> str:
    return re.search(r'<p class="codename" id="codename">([a-z ]+)</p>', html).group(1)
