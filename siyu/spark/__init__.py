"""The metrics on Apache Spark over a Parquet lake (siyu.lake): the same pure Polars functions the local
engine runs, applied per member bucket, their partial results combined exactly on the driver.

`siyu.spark.plans` (pure Polars, no Spark) says for each metric what one bucket computes and how the
buckets' results combine; `siyu.spark.job` runs a plan on a Spark session. pyspark is an optional
dependency (requirements-spark.txt): nothing else in siyu imports this package.
"""
