"""The Parquet lake: the tables metrics read, written for engines beyond one machine (siyu.spark)."""
