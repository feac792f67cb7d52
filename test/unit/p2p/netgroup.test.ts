import { describe, expect, it } from 'vitest';
import {
  LocalNets,
  mayDialAddress,
  netgroupOf,
  parseCidr,
  privateRangeOf,
} from '../../../src/p2p/netgroup.js';

describe('netgroups', () => {
  it('an IPv4 /16 is one group, an IPv6 /32 is one group', () => {
    expect(netgroupOf('203.0.113.7')).toBe('4:203.0');
    expect(netgroupOf('203.0.200.1')).toBe(netgroupOf('203.0.113.7'));
    expect(netgroupOf('203.1.113.7')).not.toBe(netgroupOf('203.0.113.7'));
    expect(netgroupOf('2001:db8:1::1')).toBe('6:2001:db8');
    expect(netgroupOf('2001:0db8:ffff::2')).toBe(netgroupOf('2001:db8:1::1'));
    expect(netgroupOf('2001:db9::1')).not.toBe(netgroupOf('2001:db8::1'));
    expect(netgroupOf('::1')).toBe('6:0:0');
  });

  it('loopback and local subnets make every peer id its own host and group', () => {
    const nets = new LocalNets(['10.0.0.0/8']);
    expect(nets.placeOf('127.0.0.1', 'A')).toEqual({ local: true, host: 'peer:A', netgroup: 'peer:A' });
    expect(nets.placeOf('10.1.2.3', 'B').host).toBe('peer:B');
    expect(nets.placeOf('::1', 'C').local).toBe(true);
    expect(nets.placeOf('192.168.1.5', 'D')).toEqual({
      local: false,
      host: 'ip:192.168.1.5',
      netgroup: '4:192.168',
    });
    expect(new LocalNets().placeOf('10.1.2.3', 'B').host).toBe('ip:10.1.2.3');
  });

  it('a malformed subnet is refused, not read as something wider', () => {
    for (const bad of [
      '10.0.0.0',
      '10.0.0.0/33',
      '10.0.0/8',
      'ten/8',
      '10.0.0.0/8/1',
      '::/129',
      '10.0.0.0/-1',
    ]) {
      expect(() => parseCidr(bad), bad).toThrow(/CIDR/);
    }
    expect(parseCidr('fd00::/8')).toEqual({ ip: 'fd00::', prefix: 8, family: 'ipv6' });
  });

  it("a stranger's LAN address is dialled only from that LAN or a local subnet", () => {
    const none = new LocalNets();
    expect(privateRangeOf('10.9.9.9')).toBe('10.0.0.0/8');
    expect(mayDialAddress('8.8.8.8', ['127.0.0.1'], none)).toBe(true);
    expect(mayDialAddress('10.9.9.9', ['203.0.113.7'], none)).toBe(false);
    expect(mayDialAddress('10.9.9.9', ['10.1.1.1'], none)).toBe(true);
    expect(mayDialAddress('192.168.1.2', ['10.1.1.1'], none)).toBe(false);
    expect(mayDialAddress('192.168.1.2', ['203.0.113.7'], new LocalNets(['192.168.0.0/16']))).toBe(true);
    expect(mayDialAddress('127.0.0.1', ['203.0.113.7'], none)).toBe(false);
    expect(mayDialAddress('127.0.0.1', ['127.0.0.1'], none)).toBe(true);
    expect(mayDialAddress('fd12::1', ['fd34::2'], none)).toBe(true);
  });
});
