import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { readFile } from "node:fs/promises";
import { type ObjectInfo, type ObjectStore, TransientStoreError } from "./object_store.ts";

/** Where and how to reach the bucket. */
export interface S3ObjectStoreOptions {
  /** e.g. "http://127.0.0.1:9000"; undefined for AWS itself. */
  endpoint?: string;
  bucket: string;
  /** Key prefix of the table inside the bucket, without leading or trailing slash. */
  prefix: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * An object store in an S3 bucket. `putIfAbsent` sends `If-None-Match: *`: the server answers 412
 * (or 409 for a concurrent create in progress) when the key exists, so the first writer wins.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;

  /** Creates the client; no request is made until the first call. */
  constructor(readonly options: S3ObjectStoreOptions) {
    this.location = `s3://${options.bucket}/${options.prefix}`;
    this.#client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.endpoint !== undefined,
      credentials: options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
      // Retries are the consume loop's job (it holds the batch); one attempt keeps errors prompt.
      maxAttempts: 2,
    });
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    try {
      await this.#client.send(
        new PutObjectCommand({ ...this.#at(key), Body: body, IfNoneMatch: "*" }),
      );
      return true;
    } catch (error) {
      const status = httpStatus(error);
      if (status === 412 || status === 409) return false;
      throw this.#wrap("conditional put", key, error);
    }
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    try {
      await this.#client.send(new PutObjectCommand({ ...this.#at(key), Body: body }));
    } catch (error) {
      throw this.#wrap("put", key, error);
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    await this.put(key, new Uint8Array(await readFile(localPath)));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.#client.send(new GetObjectCommand(this.#at(key)));
      return await out.Body!.transformToByteArray();
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw this.#wrap("get", key, error);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const base = this.options.prefix === "" ? "" : `${this.options.prefix}/`;
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: base + prefix,
            ContinuationToken: token,
          }),
        );
        for (const item of page.Contents ?? []) {
          out.push({
            key: item.Key!.slice(base.length),
            size: item.Size ?? 0,
            lastModified: item.LastModified ?? new Date(0),
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.#wrap("list", prefix, error);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand(this.#at(key)));
    } catch (error) {
      if (httpStatus(error) === 404) return;
      throw this.#wrap("delete", key, error);
    }
  }

  url(key: string): string {
    return `${this.location}/${key}`;
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }

  #at(key: string): { Bucket: string; Key: string } {
    const base = this.options.prefix === "" ? "" : `${this.options.prefix}/`;
    return { Bucket: this.options.bucket, Key: base + key };
  }

  #wrap(operation: string, key: string, error: unknown): Error {
    const status = httpStatus(error);
    const message = `S3 ${operation} of ${this.url(key)} failed: ${describe(error)}`;
    // 4xx other than throttling and timeouts are our mistake or a missing bucket: not transient.
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return new Error(message, { cause: error });
    }
    return new TransientStoreError(message, { cause: error });
  }
}

/** The HTTP status of an SDK error, when the server answered. */
function httpStatus(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  const meta = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata;
  return meta?.httpStatusCode;
}

/** Short description of an SDK or network error. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
