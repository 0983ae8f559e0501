/**
 * The registry of delivery types at the edge: for each `type`, its sink and
 * its probe ({@link Destination}). The compiler asks for an entry here for
 * every type of `src/tenant/delivery.ts`.
 *
 * @module
 */
import { type DestinationClients, roleTargetOf } from "../aws/destination_clients.ts";
import type { Delivery, DeliveryOf, DeliveryType } from "../tenant/delivery.ts";
import { CLOUDWATCH_DESTINATION } from "./cloudwatch/cloudwatch_destination.ts";
import type { Destination, SinkDeps } from "./destination.ts";
import { S3_DESTINATION } from "./s3/s3_destination.ts";
import type { SinkFactory } from "./sink.ts";

/** Every delivery type's edge, by its `type` attribute. */
const DESTINATIONS: { readonly [T in DeliveryType]: Destination<DeliveryOf<T>> } = {
  cloudwatch: CLOUDWATCH_DESTINATION,
  s3: S3_DESTINATION,
};

/** The edge of `delivery`'s type. */
function destinationOf(delivery: Delivery): Destination<Delivery> {
  // Each entry handles deliveries of its own type, which is what `delivery.type` selects.
  return DESTINATIONS[delivery.type] as Destination<Delivery>;
}

/**
 * The pipeline's {@link SinkFactory}: builds each delivery's sink through its
 * type's entry. Expired credentials drop that delivery's cached credentials
 * and clients, so the next attempt starts afresh.
 */
export function sinkFactory(deps: SinkDeps): SinkFactory {
  return (delivery, object) => {
    const onCredentialsExpired = () => {
      deps.roles.invalidate(roleTargetOf(delivery));
      deps.clients.forget(delivery);
    };
    return destinationOf(delivery).sink(delivery, object, { ...deps, onCredentialsExpired });
  };
}

/**
 * Checks `delivery`'s destination with its customer role (`tenants verify`).
 *
 * @throws {Error} naming the call and its AWS error code when it cannot be reached.
 */
export function probeDestination(delivery: Delivery, clients: DestinationClients): Promise<string> {
  return destinationOf(delivery).probe(delivery, clients);
}
