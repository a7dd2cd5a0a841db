"""Recall campaigns (召回, issue #18): plan a seeded, stratified holdout split from a segment or list
(`plan`), resolve `--from` sources (`sources`), store plans (`store`), build the send lists SMS platforms
and WeCom 群发 accept (`send_lists`) and build matched comparison groups for campaigns planned elsewhere
(`matched`). The lift itself is the metric `campaign_lift` (siyu.metrics.campaign_lift)."""
