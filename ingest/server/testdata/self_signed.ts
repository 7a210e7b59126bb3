// Makes a throwaway self-signed certificate for 127.0.0.1/localhost with Debian's openssl.

/** A PEM certificate and key, and the temp dir holding them. */
export interface SelfSigned {
  cert: string;
  key: string;
  dir: string;
}

/** Creates a self-signed EC certificate valid for 127.0.0.1 and localhost. */
export async function selfSignedCertificate(): Promise<SelfSigned> {
  const dir = await Deno.makeTempDir({ prefix: "ingest-tls-" });
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
  return {
    dir,
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
  };
}
