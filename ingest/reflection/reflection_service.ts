import { create, type DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../../proto/gen/es/grpc/reflection/v1/reflection_pb.ts";
import * as v1alpha from "../../proto/gen/es/grpc/reflection/v1alpha/reflection_pb.ts";
import {
  createDescriptorIndex,
  type DescriptorIndex,
  serializeWithDependencies,
} from "./descriptor_index.ts";

/** gRPC status code NOT_FOUND, as reflection's ErrorResponse carries it. */
const NOT_FOUND = 5;
/** gRPC status code INVALID_ARGUMENT. */
const INVALID_ARGUMENT = 3;

/** The request shape shared by v1 and v1alpha (they differ only in type names). */
type ReflectionRequest = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;

/** The answer to one reflection request, before it is typed as v1 or v1alpha. */
type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | {
    case: "allExtensionNumbersResponse";
    value: { baseTypeName: string; extensionNumber: number[] };
  }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** Names of the reflection services themselves, listed beside the application's services. */
export const REFLECTION_SERVICE_NAMES = [
  v1.ServerReflection.typeName,
  v1alpha.ServerReflection.typeName,
];

/**
 * Registers gRPC server reflection (`grpc.reflection.v1` and `grpc.reflection.v1alpha`) on a
 * Connect router, describing `services` and everything they import.
 */
export function registerReflection(router: ConnectRouter, services: readonly DescService[]): void {
  const index = createDescriptorIndex([...services, v1.ServerReflection, v1alpha.ServerReflection]);
  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      const sent = new Set<string>();
      for await (const request of requests) {
        yield create(v1.ServerReflectionResponseSchema, {
          validHost: request.host,
          originalRequest: request,
          messageResponse: answerReflection(index, request, sent),
        });
      }
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      const sent = new Set<string>();
      for await (const request of requests) {
        yield create(v1alpha.ServerReflectionResponseSchema, {
          validHost: request.host,
          originalRequest: request,
          messageResponse: answerReflection(index, request, sent),
        });
      }
    },
  });
}

/** Answers one reflection request; `sent` tracks files already sent on this stream. */
export function answerReflection(
  index: DescriptorIndex,
  request: ReflectionRequest,
  sent: Set<string>,
): ReflectionAnswer {
  const files = (file: ReturnType<DescriptorIndex["fileByName"]>, what: string) =>
    file
      ? {
        case: "fileDescriptorResponse" as const,
        value: { fileDescriptorProto: serializeWithDependencies(file, sent) },
      }
      : notFound(what);
  const message = request.messageRequest;
  switch (message.case) {
    case "listServices":
      return {
        case: "listServicesResponse",
        value: { service: index.serviceNames.map((name) => ({ name })) },
      };
    case "fileByFilename":
      return files(index.fileByName(message.value), `file "${message.value}"`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(message.value), `symbol "${message.value}"`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = message.value;
      return files(
        index.fileContainingExtension(containingType, extensionNumber),
        `extension ${extensionNumber} of "${containingType}"`,
      );
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbersOf(message.value);
      return numbers
        ? {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: message.value, extensionNumber: numbers },
        }
        : notFound(`type "${message.value}"`);
    }
    default:
      return {
        case: "errorResponse",
        value: { errorCode: INVALID_ARGUMENT, errorMessage: "message_request is not set" },
      };
  }
}

function notFound(what: string): ReflectionAnswer {
  return {
    case: "errorResponse",
    value: { errorCode: NOT_FOUND, errorMessage: `${what} not found` },
  };
}
