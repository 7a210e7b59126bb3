/**
 * The capacity model: from the per-process rates and storage figures measured on this machine
 * (docs/benchmarks.md, bench/capacity/measure_storage.ts) and a few stated assumptions, what a
 * given event rate needs. docs/capacity.md explains each figure and which are measured.
 *
 * @module
 */

/** Figures measured here (2 shared cores, one process each; docs/benchmarks.md, capacity.md). */
export const MEASURED = {
  /** Events/s one ingest process accepted into Kafka (batched gRPC, broker acks). */
  ingestEventsPerSecondPerReplica: 2_672,
  /** Rows/s one hot sink process wrote into PostgreSQL (batches of 5,000). */
  hotSinkRowsPerSecondPerReplica: 3_793,
  /** Rows/s one lake sink process committed to Delta (batches of 20,000). */
  lakeSinkRowsPerSecondPerReplica: 16_700,
  /** Mean encoded enriched event (protobuf), bytes. */
  encodedBytesPerEvent: 525,
  /** PostgreSQL bytes per row: table, indexes, TOAST and rollup, native partitions, uncompressed. */
  postgresBytesPerRow: 1_244,
  /** Parquet bytes per row of the lake sink's files on synthetic events (lower bound). */
  parquetBytesPerRowSynthetic: 67.6,
  /** gzip size / raw size of the synthetic events as one block (lower bound for Kafka batches). */
  gzipRatioSynthetic: 0.169,
} as const;

/** Assumptions: not measured here; each is an input the CLI can override. */
export interface Assumptions {
  /** Plan each process at this fraction of its measured rate (headroom for peaks, GC, restarts). */
  targetUtilisation: number;
  /** Compressed / raw size of Kafka batches (small linger batches of real events compress less). */
  kafkaCompressionRatio: number;
  /** Kafka replication factor in production. */
  replicationFactor: number;
  /** Kafka retention, days (deploy/kafka/server.properties.template: 168 h). */
  kafkaRetentionDays: number;
  /** Parquet bytes per real event (real events repeat less than synthetic ones). */
  parquetBytesPerRow: number;
  /** Days the hot store keeps chunks uncompressed (TimescaleDB compress_after: 7 days). */
  hotUncompressedDays: number;
  /** Days the hot store keeps rows at all (TimescaleDB retention: 400 days). */
  hotRetentionDays: number;
  /** Compressed / uncompressed size of TimescaleDB columnar chunks. */
  timescaleCompressionRatio: number;
  /** Compressed bytes/s one partition should carry at most (MB/s). */
  partitionMegabytesPerSecond: number;
  /** Partitions are planned for this many times today's sink replicas (they cannot shrink). */
  partitionGrowthFactor: number;
  /** Cores of one machine, to count machines. */
  coresPerMachine: number;
  /**
   * Rows/s one dedicated PostgreSQL server absorbs (the measured `psql \copy` baseline was 22,868
   * rows/s on 2 shared cores; a dedicated 8-16 core server is assumed to reach about twice that).
   */
  postgresRowsPerSecondPerNode: number;
}

/** The assumptions docs/capacity.md states. */
export const ASSUMED: Assumptions = {
  targetUtilisation: 0.6,
  kafkaCompressionRatio: 0.35,
  replicationFactor: 3,
  kafkaRetentionDays: 7,
  parquetBytesPerRow: 135,
  hotUncompressedDays: 7,
  hotRetentionDays: 400,
  timescaleCompressionRatio: 0.1,
  partitionMegabytesPerSecond: 5,
  partitionGrowthFactor: 2,
  coresPerMachine: 8,
  postgresRowsPerSecondPerNode: 50_000,
};

/** What an event rate needs. Bytes are decimal (1 GB = 1e9 bytes). */
export interface CapacityPlan {
  eventsPerSecond: number;
  ingestReplicas: number;
  hotSinkReplicas: number;
  lakeSinkReplicas: number;
  partitions: number;
  /** Cores of our three programs at one core per process. */
  programCores: number;
  /** Machines of `coresPerMachine` cores for our programs alone (brokers and stores apart). */
  programMachines: number;
  /** Compressed, replicated bytes the brokers write per day. */
  brokerBytesPerDay: number;
  /** Broker disk held at the retention. */
  brokerBytesRetained: number;
  /** Uncompressed hot-store bytes per day of events. */
  hotStoreBytesPerDay: number;
  /** Hot store size once retention is reached (recent days uncompressed, the rest compressed). */
  hotStoreBytesSteadyState: number;
  /** Lake (Parquet) bytes per day. */
  lakeBytesPerDay: number;
  /** The first things to change, most pressing first. */
  advice: string[];
}

const DAY_SECONDS = 86_400;

/** Plans capacity for `eventsPerSecond` (> 0) with `assumptions` (default ASSUMED). */
export function planCapacity(
  eventsPerSecond: number,
  assumptions: Assumptions = ASSUMED,
): CapacityPlan {
  if (!(eventsPerSecond > 0) || !Number.isFinite(eventsPerSecond)) {
    throw new Error(`events per second must be a positive number, got ${eventsPerSecond}`);
  }
  const a = assumptions;
  const replicas = (rate: number) =>
    Math.max(1, Math.ceil(eventsPerSecond / (rate * a.targetUtilisation)));
  const ingestReplicas = Math.max(2, replicas(MEASURED.ingestEventsPerSecondPerReplica));
  const hotSinkReplicas = replicas(MEASURED.hotSinkRowsPerSecondPerReplica);
  const lakeSinkReplicas = replicas(MEASURED.lakeSinkRowsPerSecondPerReplica);
  const rawBytesPerSecond = eventsPerSecond * MEASURED.encodedBytesPerEvent;
  const compressedBytesPerSecond = rawBytesPerSecond * a.kafkaCompressionRatio;
  const byThroughput = Math.ceil(compressedBytesPerSecond / (a.partitionMegabytesPerSecond * 1e6));
  const byConsumers = Math.max(hotSinkReplicas, lakeSinkReplicas) * a.partitionGrowthFactor;
  const partitions = Math.ceil(Math.max(6, byThroughput, byConsumers) / 6) * 6;
  const brokerBytesPerDay = compressedBytesPerSecond * DAY_SECONDS * a.replicationFactor;
  const hotStoreBytesPerDay = eventsPerSecond * DAY_SECONDS * MEASURED.postgresBytesPerRow;
  const compressedDays = Math.max(0, a.hotRetentionDays - a.hotUncompressedDays);
  const programCores = ingestReplicas + hotSinkReplicas + lakeSinkReplicas;
  const plan: CapacityPlan = {
    eventsPerSecond,
    ingestReplicas,
    hotSinkReplicas,
    lakeSinkReplicas,
    partitions,
    programCores,
    programMachines: Math.ceil(programCores / a.coresPerMachine),
    brokerBytesPerDay,
    brokerBytesRetained: brokerBytesPerDay * a.kafkaRetentionDays,
    hotStoreBytesPerDay,
    hotStoreBytesSteadyState: hotStoreBytesPerDay *
      (Math.min(a.hotUncompressedDays, a.hotRetentionDays) +
        compressedDays * a.timescaleCompressionRatio),
    lakeBytesPerDay: eventsPerSecond * DAY_SECONDS * a.parquetBytesPerRow,
    advice: [],
  };
  plan.advice = adviceFor(plan, a);
  return plan;
}

/** The first changes when one machine is not enough, most pressing first. */
function adviceFor(plan: CapacityPlan, a: Assumptions): string[] {
  const advice: string[] = [];
  const perMachine = MEASURED.hotSinkRowsPerSecondPerReplica * a.targetUtilisation;
  if (plan.programCores <= a.coresPerMachine && plan.eventsPerSecond <= perMachine) {
    advice.push("one machine is enough: compose.yaml as it is, one replica of each sink");
  }
  if (plan.hotSinkReplicas > 1) {
    advice.push(
      `hot sink first (the slowest stage, ${MEASURED.hotSinkRowsPerSecondPerReplica} rows/s ` +
        `per process): ${plan.hotSinkReplicas} sink-timescale replicas, at most one per partition; ` +
        "PostgreSQL on its own machine, since its INSERT ... ON CONFLICT shares the CPU",
    );
  }
  if (plan.ingestReplicas > 2) {
    advice.push(
      `ingest: ${plan.ingestReplicas} replicas behind a load balancer (the k8s HPA on CPU does it)`,
    );
  }
  if (plan.partitions > 6) {
    advice.push(
      `raise KAFKA_TOPIC_PARTITIONS to ${plan.partitions} before growing (partitions bound the ` +
        "sink replicas and cannot be reduced); brokers on 3 machines with replication factor 3",
    );
  }
  if (plan.hotStoreBytesPerDay > 1e12) {
    advice.push(
      "the hot store grows over 1 TB a day: shorten its retention (the lake keeps everything), " +
        "compress sooner than 7 days, or keep only the rollups hot",
    );
  }
  if (plan.eventsPerSecond > a.postgresRowsPerSecondPerNode) {
    advice.push(
      `one PostgreSQL server does not absorb ${plan.eventsPerSecond.toLocaleString("en-US")} ` +
        "rows/s: shard the hot store (by source or channel) or move it to a column store built for " +
        "that rate; Kafka, the ingest and the lake scale out as they are",
    );
  }
  if (plan.lakeSinkReplicas > 1) {
    advice.push(
      `lake sink: ${plan.lakeSinkReplicas} replicas; larger batches (SINK_BATCH_MAX_RECORDS) ` +
        "keep the Parquet files and commits few",
    );
  }
  return advice;
}
