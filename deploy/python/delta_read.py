"""Reads a Delta table with delta-rs and prints what the lake tests check, as one JSON object.

Usage: delta_read.py TABLE_URI [--version N] [--ids] [--app-id ID ...]
TABLE_URI is a local folder or s3://bucket/prefix; for S3 the environment gives S3_ENDPOINT,
S3_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
Prints: version, history (version, operation, timestamp), row_count, distinct_event_ids,
event_ids (with --ids), transaction_versions (each --app-id -> its version, or null),
partitions, columns, files.
"""

import argparse
import json
import os
import sys

from deltalake import DeltaTable


def storage_options(uri: str) -> dict:
    if not uri.startswith("s3://"):
        return {}
    options = {
        "AWS_REGION": os.environ.get("S3_REGION", "us-east-1"),
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", ""),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        # Reading needs no lock; writing (the benchmark) relies on conditional puts.
        "aws_conditional_put": "etag",
        "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
    }
    endpoint = os.environ.get("S3_ENDPOINT")
    if endpoint:
        options["AWS_ENDPOINT_URL"] = endpoint
        options["AWS_ALLOW_HTTP"] = "true"
        options["AWS_VIRTUAL_HOSTED_STYLE_REQUEST"] = "false"
    return options


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("uri")
    parser.add_argument("--version", type=int)
    parser.add_argument("--ids", action="store_true", help="list every event id")
    parser.add_argument("--app-id", action="append", default=[], help="txn app id to report")
    args = parser.parse_args()

    table = DeltaTable(args.uri, version=args.version, storage_options=storage_options(args.uri))
    data = table.to_pyarrow_table()
    ids = data.column("event_id").to_pylist() if "event_id" in data.column_names else []
    out = {
        "version": table.version(),
        "history": [
            {"version": h.get("version"), "operation": h.get("operation"), "timestamp": h.get("timestamp")}
            for h in table.history()
        ],
        "row_count": data.num_rows,
        "distinct_event_ids": len(set(ids)),
        "transaction_versions": {a: table.transaction_version(a) for a in args.app_id},
        "partitions": sorted({p.get("event_date") for p in table.partitions()}),
        "columns": data.column_names,
        "files": len(table.file_uris()),
    }
    if args.ids:
        out["event_ids"] = ids
    json.dump(out, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: delta-rs' runtime threads sometimes abort the process at exit
    # ("terminate called without an active exception") after the output was complete.
    os._exit(code)
