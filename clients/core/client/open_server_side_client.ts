import { FileStorage } from "../storage/file_storage.ts";
import { MemoryStorage } from "../storage/memory_storage.ts";
import { createServerTransport, type ServerProtocol } from "../transport/server_transport.ts";
import { AnalyticsClient, type AnalyticsClientOptions } from "./analytics_client.ts";

/** What every server-side client (server, agent) takes besides the core's tuning options. */
export interface ServerSideOptions
  extends
    Omit<AnalyticsClientOptions, "transport" | "channel" | "storage" | "library" | "platform"> {
  /** The write key (a key allowed the client's channel). */
  writeKey: string;
  /** Ingest address. Default: the local ingest for the protocol (50051 for gRPC). */
  url?: string;
  /** Default "grpc". */
  protocol?: ServerProtocol;
  /** Folder for the queue and ids; memory only when absent. */
  dataDir?: string;
}

/** Opens a core client for a server-side runtime: its transport, and file or memory storage. */
export function openServerSideClient(
  options: ServerSideOptions,
  fixed: Pick<AnalyticsClientOptions, "channel" | "platform" | "library">,
): Promise<AnalyticsClient> {
  const { writeKey, url, protocol, dataDir, ...tuning } = options;
  return AnalyticsClient.open({
    ...tuning,
    ...fixed,
    transport: createServerTransport({ writeKey, protocol, baseUrl: url }),
    storage: dataDir === undefined ? new MemoryStorage() : new FileStorage(dataDir),
  });
}
