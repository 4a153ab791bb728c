/**
 * Kafka's form of a member's host for DescribeGroups (`InetAddress.toString`: "/127.0.0.1"). An IPv4 peer on a
 * dual-stack socket arrives as "::ffff:1.2.3.4"; Java shows it as the IPv4 address.
 */
export function clientHostOf(clientAddress: string): string {
  const at = clientAddress.lastIndexOf(':');
  const host = (at < 0 ? clientAddress : clientAddress.slice(0, at)).replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return `/${host}`;
}
