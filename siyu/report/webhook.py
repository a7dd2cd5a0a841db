"""Post a report's summary to a WeCom group bot (企业微信群机器人) as a Markdown message.

The bot's URL is `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...` (Settings.webhook_url or
`python -m siyu report --webhook URL`). Only the summary travels: KPI figures of the range, no member data.
Plain urllib, no extra dependency; WeCom answers `{"errcode": 0, "errmsg": "ok"}` when it took the message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlparse

from siyu.errors import SiyuError

MAX_BYTES = 4096  # WeCom's limit for markdown content


class WebhookError(SiyuError):
    """The group bot did not take the message."""


def post_markdown(url: str, content: str, *, timeout: float = 10.0) -> dict:
    """Send `content` as a markdown message; returns WeCom's answer, raises WebhookError otherwise."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookError(f"webhook 地址需要 http(s)://… / the webhook URL must be http(s): {url[:60]!r}")
    body = content.encode("utf-8")
    if len(body) > MAX_BYTES:  # cut on a character boundary
        body = body[:MAX_BYTES].decode("utf-8", errors="ignore").encode("utf-8")
    payload = json.dumps({"msgtype": "markdown", "markdown": {"content": body.decode("utf-8")}},
                         ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    where = f"{parts.scheme}://{parts.netloc}{parts.path}"  # never echo the key in the query string
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # scheme checked above
            answer = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"群机器人返回 HTTP {exc.code} / the group bot answered HTTP {exc.code} ({where})") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise WebhookError(f"无法连接群机器人 {where}：{exc} / cannot reach the group bot") from None
    except json.JSONDecodeError:
        raise WebhookError(f"群机器人的回答不是 JSON / the group bot's answer is not JSON ({where})") from None
    if answer.get("errcode", 0) != 0:
        raise WebhookError(f"群机器人拒绝了消息：{answer.get('errcode')} {answer.get('errmsg')} / the group bot refused")
    return answer
