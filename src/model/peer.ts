import { AddressSet } from './address-set';
import type { SourceLocation } from './location';

/**
 * The other side of a rule (formats.md §0). Address-like peers carry an exact AddressSet; the rest are symbolic and
 * are resolved to addresses only where the config binds them (a security group mapped to a role, say).
 */
export type Peer =
  | {
      kind: 'addresses';
      addresses: AddressSet;
      text: string;
      /**
       * The addresses stand in for a set Windows computes at run time, as the breadth checks judge it (Windows
       * `Internet`, judged as every address: contract.md FW101, though it leaves out the intranet). Not exact: not known
       * to hold any CIDR or keyword peer's addresses, so it makes no shadow (FW301) or containment (FW302) certain.
       */
      isApproximate?: boolean;
      /**
       * The part of `addresses` the peer surely holds, where that is less: Azure's `Internet` in an Allow is every
       * address for exposure (FW101, FW102), but it leaves out the virtual network's ranges, which fwlint does not
       * know, so it surely holds only the public space (`PUBLIC_ADDRESSES`); Windows' `Internet` leaves out the
       * intranet likewise. A bound peer's required flow (FW201) counts only these; a containment (FW302) only these
       * unless the peer `isApproximate` (the intranet may hold a public range too: nothing is certain there).
       */
      certainAddresses?: AddressSet;
      /**
       * Where the addresses are written when not in the rule: the managed prefix list of the input whose entries they
       * are (`text` names it). Findings on the rule point to it as a related location.
       */
      definedAt?: SourceLocation;
      /**
       * The id a symbolic `prefix-list` peer would carry for that list (its logical id, its Terraform reference), so a
       * config `ignore:` entry naming the list still matches once its entries are known.
       */
      prefixListId?: string;
      /**
       * The addresses are some of the peer's (the known entries of a prefix list that may hold more: unknown or
       * conditional entries, entries added elsewhere): what the rule allows at least. No rule but one naming the same
       * list is known to hold the peer's addresses, so the rule is never contained in another (FW302).
       */
      isLowerBound?: boolean;
    }
  | { kind: 'sg-ref'; id: string }
  | { kind: 'self' }
  | { kind: 'prefix-list'; id: string }
  | { kind: 'service-tag'; name: string }
  | { kind: 'network-tag'; name: string }
  | { kind: 'service-account'; name: string }
  | { kind: 'keyword'; name: string }
  | { kind: 'unknown'; expr: string };

export function addressPeer(addresses: AddressSet, text: string): Peer {
  return { kind: 'addresses', addresses, text };
}

/** The peer meaning "any address" on both families (netsh `Any`, Azure `*`, GCP rules with no source). */
export function anyPeer(text: string): Peer {
  return { kind: 'addresses', addresses: AddressSet.ALL, text };
}

/** Exact addresses of a peer when it has them; undefined for symbolic or unknown peers. */
export function peerAddresses(peer: Peer): AddressSet | undefined {
  return peer.kind === 'addresses' ? peer.addresses : undefined;
}

/** Short human text for messages: the written value, never a guess. */
export function describePeer(peer: Peer): string {
  switch (peer.kind) {
    case 'addresses':
      return peer.text;
    case 'sg-ref':
      return `security group ${peer.id}`;
    case 'self':
      return 'the group itself';
    case 'prefix-list':
      return `prefix list ${peer.id}`;
    case 'service-tag':
      return `service tag ${peer.name}`;
    case 'network-tag':
      return `network tag ${peer.name}`;
    case 'service-account':
      return `service account ${peer.name}`;
    case 'keyword':
      return peer.name;
    case 'unknown':
      return `unresolved ${peer.expr}`;
  }
}
