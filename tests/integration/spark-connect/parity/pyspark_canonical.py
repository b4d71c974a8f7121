"""PySpark Connect's collect() of each parity case, in the canonical JSON form parity.test.ts compares.

Reads {"remote": ..., "cases": [...]} on stdin, writes {"<id>": {"schema", "rows"} | {"error"}} on
stdout. One process for every case (PySpark's start-up is most of the cost). Run with TZ=UTC: PySpark
returns TIMESTAMP values as naive datetimes in the process's local time zone.

The canonical form is deliberately strict: integers as decimal strings, floats as the hex of their
IEEE-754 bits, decimals with every fractional digit, timestamps as epoch microseconds, structs as
(name, value) pairs in order (repeated names kept), maps as (key, value) pairs in order.
"""

import datetime
import decimal
import json
import math
import re
import struct
import sys

from pyspark.errors import PySparkException
from pyspark.sql import Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

EPOCH = datetime.datetime(1970, 1, 1)
EPOCH_DATE = datetime.date(1970, 1, 1)
US = datetime.timedelta(microseconds=1)


def canon(v, t):
    if v is None:
        return None
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return str(v)
    if isinstance(t, (T.FloatType, T.DoubleType)):
        return "NaN" if math.isnan(v) else struct.pack(">d", v).hex()
    if isinstance(t, T.DecimalType):
        return format(v, "f")
    if isinstance(t, T.StringType):
        return v
    if isinstance(t, T.BooleanType):
        return v
    if isinstance(t, T.BinaryType):
        return bytes(v).hex()
    if isinstance(t, T.DateType):
        return str((v - EPOCH_DATE).days)
    if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
        # Naive: local time for TIMESTAMP (TZ=UTC here), the wall clock for TIMESTAMP_NTZ.
        return str((v.replace(tzinfo=None) - EPOCH) // US)
    if isinstance(t, T.DayTimeIntervalType):
        return str(v // US)
    if isinstance(t, T.ArrayType):
        return [canon(x, t.elementType) for x in v]
    if isinstance(t, T.MapType):
        return [[canon(k, t.keyType), canon(x, t.valueType)] for k, x in v.items()]
    if isinstance(t, T.StructType):
        return [[f.name, canon(x, f.dataType)] for f, x in zip(t.fields, tuple(v))]
    if isinstance(t, T.NullType):
        return None
    return ["unsupported", type(t).__name__, repr(v)]


def frame(spark, case):
    if "sql" in case:
        return spark.sql(case["sql"])
    if "lits" in case:
        return spark.range(1).select(*[F.lit(eval(expr)).alias(name) for name, expr in case["lits"]])
    if "query" in case:
        return spark.sql(case["query"], args={name: eval(expr) for name, expr in case["args"]})
    if "rows" in case:
        return spark.createDataFrame(eval(case["rows"]), schema=case["ddl"])
    raise ValueError(f"case {case['id']}: no sql, lits, query or rows")


def run(spark, case):
    try:
        df = frame(spark, case)
        rows = df.collect()
        schema = df.schema
        return {
            "schema": schema.simpleString(),
            "nullable": [f.nullable for f in schema.fields],
            "rows": [[[f.name, canon(x, f.dataType)] for f, x in zip(schema.fields, tuple(r))] for r in rows],
        }
    except PySparkException as e:
        # Spark 3.5 sends the error class in the message only: "[UNSUPPORTED_DATATYPE] ...".
        m = re.match(r"\[([A-Z_.]+)\]", str(e))
        return {"error": e.getErrorClass() or (m.group(1) if m else type(e).__name__)}
    except Exception as e:  # a client-side failure of PySpark itself (e.g. a type it cannot decode)
        return {"error": f"{type(e).__name__}: {e}"}


def main():
    request = json.load(sys.stdin)
    spark = SparkSession.builder.remote(request["remote"]).getOrCreate()
    try:
        out = {case["id"]: run(spark, case) for case in request["cases"]}
    finally:
        spark.stop()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
