"""The lake benchmark's baseline: appends the same rows with delta-rs' write_deltalake, in the
same batch sizes as the lake sink, and prints {"rows": N, "seconds": S, "commits": C} as JSON.

Usage: write_bench.py ROWS.ndjson TABLE_DIR BATCH_SIZE TIMESTAMP_COLUMNS(comma-separated)
Loading the rows into Arrow is not timed (the sink's event decoding is not timed either). The
Parquet files are ZSTD at level 1, as the lake sink's (arrow-rs' default level, which parquet-wasm
cannot change); delta-rs would write Snappy otherwise, which is not the same work.
"""

import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
from deltalake import WriterProperties, write_deltalake


def main() -> int:
    path, table_dir, batch_size, ts_columns = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    table = pajson.read_json(path)
    for name in ts_columns.split(","):
        index = table.schema.get_field_index(name)
        micros = table.column(index).cast(pa.int64())
        table = table.set_column(index, name, micros.cast(pa.timestamp("us", tz="UTC")))
    date_index = table.schema.get_field_index("event_date")
    table = table.set_column(date_index, "event_date", pc.cast(table.column(date_index), pa.date32()))
    properties = WriterProperties(compression="ZSTD", compression_level=1)
    commits = 0
    started = time.perf_counter()
    for offset in range(0, table.num_rows, batch_size):
        write_deltalake(table_dir, table.slice(offset, batch_size), mode="append",
                        partition_by=["event_date"], writer_properties=properties)
        commits += 1
    seconds = time.perf_counter() - started
    json.dump({"rows": table.num_rows, "seconds": seconds, "commits": commits}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
