/**
 * {@link VerifyProbes} over the processor's own role chain and destination
 * clients: the same credentials and clients a delivery uses, so a green
 * `tenants verify` means the processor can get there too. Each delivery
 * type's probe is its entry in `src/delivery/destinations.ts`.
 *
 * @module
 */
import { type DestinationClients, roleTargetOf } from "../aws/destination_clients.ts";
import type { RoleChain } from "../aws/role_chain.ts";
import { probeDestination } from "../delivery/destinations.ts";
import type { VerifyProbes } from "./verify_delivery.ts";

/** What the probes walk: the role chain and the destination clients acting through it. */
export interface ProbeChain {
  readonly roles: RoleChain;
  readonly clients: DestinationClients;
  readonly centralRoleArn: string;
}

/** Probes walking the chain's roles and clients. */
export function sdkProbes(chain: ProbeChain): VerifyProbes {
  const { roles, clients, centralRoleArn } = chain;
  return {
    centralRoleArn,
    assumeCentral: async () => {
      await roles.central();
    },
    assumeCustomer: async (d) => {
      await roles.customer(roleTargetOf(d));
    },
    probeDestination: (d) => probeDestination(d, clients),
  };
}
