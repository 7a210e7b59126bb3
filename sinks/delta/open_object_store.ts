import type { LakeTarget } from "./config.ts";
import { LocalObjectStore } from "./storage/local_object_store.ts";
import type { ObjectStore } from "./storage/object_store.ts";
import { S3ObjectStore } from "./storage/s3_object_store.ts";

/** The object store of a configured target (the local folder is created when missing). */
export async function openObjectStore(target: LakeTarget): Promise<ObjectStore> {
  if (target.kind === "s3") return new S3ObjectStore(target);
  await Deno.mkdir(target.dir, { recursive: true });
  return new LocalObjectStore(target.dir);
}
