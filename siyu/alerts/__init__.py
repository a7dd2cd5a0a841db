"""Alerts (issue #18): rules on any metric, checked by `python -m siyu alerts run` and posted to the WeCom group
bot (siyu/report/webhook.py) with the figure, the threshold and a link; every firing stored; a weekly digest per
page with that page's filters. See docs/alerts.md."""
