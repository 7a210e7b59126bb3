/** Extra Connect services mounted beside IngestService on the same router (e.g. QueryService). */
import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";

/** A service and how to register it on a router; the service is listed by reflection too. */
export interface ServiceRegistration {
  readonly service: DescService;
  register(router: ConnectRouter): void;
}

/** Pairs a service with its implementation, keeping the implementation's type checked. */
export function serviceRegistration<T extends DescService>(
  service: T,
  implementation: ServiceImpl<T>,
): ServiceRegistration {
  return { service, register: (router) => router.service(service, implementation) };
}
