/** Kafka's form of a member's host for DescribeGroups (`InetAddress.toString`: "/127.0.0.1"). */
export function clientHostOf(clientAddress: string): string {
  const at = clientAddress.lastIndexOf(':');
  const host = at < 0 ? clientAddress : clientAddress.slice(0, at);
  return `/${host.replace(/^\[|\]$/g, '')}`;
}
