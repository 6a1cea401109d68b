// The egress guard for components running untrusted code, decided by what the CIDR contains.
import { untrustedEgressBlock } from '../../src/private/cidr';

describe('untrustedEgressBlock', () => {
  test.each([
    ['0.0.0.0/0', ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']],
    ['160.0.0.0/3', ['169.254.0.0/16', '172.16.0.0/12']],
    ['169.0.0.0/8', ['169.254.0.0/16']],
    ['100.64.0.0/10', ['100.100.100.200/32']], // Alibaba Cloud's metadata service inside carrier-grade NAT
    ['::/0', ['::1/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10']], // fd00:ec2::254 is inside fc00::/7
    ['fd00:ec2::/32', ['fd00:ec2::254/128']],
  ])('%s leaves out what it contains', (cidr, except) => {
    expect(untrustedEgressBlock(cidr)).toEqual({ cidr, except });
  });

  test.each(['140.82.112.0/20', '10.0.0.0/8', '10.20.0.0/16', '2001:db8::/32', 'fd12::/16', '100.64.0.0/16'])('%s is taken as written', (cidr) => {
    expect(untrustedEgressBlock(cidr)).toEqual({ cidr });
  });

  test.each([
    ['169.254.169.254/32', '169.254.0.0/16'],
    ['169.254.0.0/16', '169.254.0.0/16'],
    ['127.0.0.1/32', '127.0.0.0/8'],
    ['::1/128', '::1/128'],
    ['fe80::/64', 'fe80::/10'],
    ['fd00:ec2::254/128', 'fd00:ec2::254/128'],
    ['100.100.100.200/32', '100.100.100.200/32'],
  ])('%s is refused: it is inside %s', (cidr, range) => {
    expect(untrustedEgressBlock(cidr).problem).toContain(`is inside ${range} (loopback, link-local or a cloud metadata address`);
  });
});
