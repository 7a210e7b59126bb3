/**
 * The environment of a program under test in the embedded mode on free ports, whatever services
 * the test run exported (CI exports KAFKA_BROKERS, DATABASE_URL and S3_ENDPOINT).
 */
export const EMBEDDED_ENV: Readonly<Record<string, string>> = {
  INGEST_HTTP_PORT: "0",
  INGEST_GRPC_PORT: "0",
  NO_COLOR: "1",
  KAFKA_BROKERS: "",
  DATABASE_URL: "",
  S3_ENDPOINT: "",
};
