// The portable IP helpers (src/p2p/ip.ts) answer as node:net does, which the full node used before.
import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipFamily, SubnetList } from '../../../src/p2p/ip.js';

const ADDRESSES = [
  '10.1.2.3',
  '10.255.255.255',
  '11.0.0.1',
  '172.16.0.1',
  '172.32.0.1',
  '192.168.1.20',
  '127.0.0.1',
  '::1',
  '::ffff:10.1.2.3',
  '::ffff:11.0.0.1',
  'fd00::1',
  'fe80::1',
  'fec0::1',
  '2001:db8::1',
  '2001:db9::1',
  'not-an-ip',
  '1.2.3',
  '',
];

const SUBNETS: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.1.0', 24, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
];

describe('portable IP helpers', () => {
  it('tell the family of an address as node:net does', () => {
    for (const ip of ADDRESSES) expect(ipFamily(ip), ip).toBe(isIP(ip));
  });

  it('match subnets as node:net BlockList does (IPv4 subnets also match IPv4-mapped IPv6)', () => {
    const ours = new SubnetList();
    const node = new BlockList();
    for (const [ip, prefix, family] of SUBNETS) {
      ours.addSubnet(ip, prefix, family);
      node.addSubnet(ip, prefix, family);
    }
    for (const ip of ADDRESSES) {
      const family = isIP(ip);
      if (family === 0) {
        expect(ours.check(ip), ip).toBe(false);
        continue;
      }
      expect(ours.check(ip), ip).toBe(node.check(ip, family === 4 ? 'ipv4' : 'ipv6'));
    }
  });

  it('refuses a subnet that is not an address', () => {
    expect(() => new SubnetList().addSubnet('10.0.0', 8, 'ipv4')).toThrow(/not an IP address/);
  });
});
