#!/bin/sh
# Creates the lake's bucket ($S3_BUCKET) on the SeaweedFS master ($SEAWEEDFS_MASTER) unless it
# exists; run once by compose's s3-init service. Exits non-zero when the bucket is still missing.
set -eu
if echo "s3.bucket.list" | weed shell -master="${SEAWEEDFS_MASTER}" | grep -qw "${S3_BUCKET}"; then
  echo "bucket ${S3_BUCKET} exists"
  exit 0
fi
echo "s3.bucket.create -name ${S3_BUCKET}" | weed shell -master="${SEAWEEDFS_MASTER}"
echo "s3.bucket.list" | weed shell -master="${SEAWEEDFS_MASTER}" | grep -qw "${S3_BUCKET}"
echo "bucket ${S3_BUCKET} created"
