import { type DescFile, type DescService, toBinary } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/**
 * The files, symbols and extensions that reflection can describe: the files of the served
 * services and, transitively, everything they import (google/protobuf well-known types,
 * buf/validate, ...).
 */
export interface DescriptorIndex {
  /** Fully-qualified names of the served services, sorted. */
  readonly serviceNames: readonly string[];
  /** The file with this name (e.g. "analytics/v1/ingest.proto"), if known. */
  fileByName(name: string): DescFile | undefined;
  /** The file declaring a message, enum, service, method, field or extension by full name. */
  fileContainingSymbol(symbol: string): DescFile | undefined;
  /** The file declaring extension `number` of message `extendee`. */
  fileContainingExtension(extendee: string, number: number): DescFile | undefined;
  /** Field numbers of the known extensions of message `extendee`, or undefined if unknown. */
  extensionNumbersOf(extendee: string): number[] | undefined;
}

/** Builds the index from the services a server registers. */
export function createDescriptorIndex(services: readonly DescService[]): DescriptorIndex {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const extensions = new Map<string, Map<number, DescFile>>();
  const messages = new Set<string>();

  const visit = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const type of nestedTypes(file)) {
      symbols.set(type.typeName, file);
      switch (type.kind) {
        case "message":
          messages.add(type.typeName);
          for (const field of type.fields) symbols.set(`${type.typeName}.${field.name}`, file);
          for (const oneof of type.oneofs) symbols.set(`${type.typeName}.${oneof.name}`, file);
          break;
        case "enum":
          for (const value of type.values) {
            // Enum values are scoped like their enum's siblings (protobuf's C++ scoping).
            const scope = type.typeName.slice(0, Math.max(0, type.typeName.lastIndexOf(".")));
            symbols.set(scope ? `${scope}.${value.name}` : value.name, file);
          }
          break;
        case "service":
          for (const method of type.methods) symbols.set(`${type.typeName}.${method.name}`, file);
          break;
        case "extension": {
          const byNumber = extensions.get(type.extendee.typeName) ?? new Map<number, DescFile>();
          byNumber.set(type.number, file);
          extensions.set(type.extendee.typeName, byNumber);
          break;
        }
      }
    }
    for (const dependency of file.dependencies) visit(dependency);
  };
  for (const service of services) visit(service.file);

  return {
    serviceNames: services.map((s) => s.typeName).sort(),
    fileByName: (name) => files.get(name),
    fileContainingSymbol: (symbol) => symbols.get(symbol.replace(/^\./, "")),
    fileContainingExtension: (extendee, number) => extensions.get(extendee)?.get(number),
    extensionNumbersOf: (extendee) => {
      const byNumber = extensions.get(extendee);
      if (byNumber) return [...byNumber.keys()].sort((a, b) => a - b);
      return messages.has(extendee) ? [] : undefined;
    },
  };
}

/**
 * Serializes `file` and, after it, every file it imports transitively, skipping the names in
 * `alreadySent` (reflection lets a server omit what it sent earlier on the same stream) and
 * adding what it returns to that set.
 */
export function serializeWithDependencies(
  file: DescFile,
  alreadySent: Set<string>,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const pending = [file];
  while (pending.length > 0) {
    const next = pending.shift()!;
    const name = next.proto.name;
    if (alreadySent.has(name)) continue;
    alreadySent.add(name);
    out.push(toBinary(FileDescriptorProtoSchema, next.proto));
    pending.push(...next.dependencies);
  }
  return out;
}
