/**
 * gRPC server reflection (`grpc.reflection.v1` and `v1alpha`) over the generated file
 * descriptors, so grpcurl, `buf curl` and Postman work without our .proto files.
 *
 * @module
 */
export {
  answerReflection,
  REFLECTION_SERVICE_NAMES,
  registerReflection,
} from "./reflection_service.ts";
export {
  createDescriptorIndex,
  type DescriptorIndex,
  serializeWithDependencies,
} from "./descriptor_index.ts";
