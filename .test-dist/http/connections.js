import { BlockList, isIP } from 'node:net';
import { Counter, Gauge } from 'prom-client';
export function createConnectionGuard(limits, registry) {
    const trusted = trustedProxyList(limits.trustedProxies);
    const byAddress = new Map();
    let open = 0;
    const registers = [registry];
    new Gauge({
        name: 'kspay_gateway_http_open_connections',
        help: 'Open client connections (HTTP and WebSocket)',
        registers,
        collect() {
            this.set(open);
        },
    });
    const closedTotal = new Counter({
        name: 'kspay_gateway_http_connections_closed_total',
        help: 'Connections and WebSockets the gateway closed or refused, by reason (per-address, ceiling, no-request, websocket-*)',
        labelNames: ['reason'],
        registers,
    });
    const closed = (reason) => closedTotal.inc({ reason });
    return {
        get open() {
            return open;
        },
        closed,
        clientAddress: (req) => clientAddressOf(req, trusted),
        onConnection(socket) {
            const peer = normalise(socket.remoteAddress ?? '');
            const key = trusted?.check(peer, isIP(peer) === 6 ? 'ipv6' : 'ipv4') ? null : addressKey(peer);
            const mine = key === null ? 0 : (byAddress.get(key) ?? 0);
            if (open >= limits.maxTotal || mine >= limits.maxPerAddress) {
                closed(open >= limits.maxTotal ? 'ceiling' : 'per-address');
                socket.destroy();
                return;
            }
            open += 1;
            if (key !== null)
                byAddress.set(key, mine + 1);
            const firstByte = setTimeout(() => {
                if (socket.bytesRead > 0)
                    return;
                closed('no-request');
                socket.destroy();
            }, limits.firstRequestMs);
            firstByte.unref();
            socket.once('close', () => {
                clearTimeout(firstByte);
                open -= 1;
                if (key === null)
                    return;
                const left = (byAddress.get(key) ?? 1) - 1;
                if (left > 0)
                    byAddress.set(key, left);
                else
                    byAddress.delete(key);
            });
        },
    };
}
function trustedProxyList(entries) {
    if (entries.length === 0)
        return null;
    const list = new BlockList();
    for (const entry of entries) {
        const [address, prefix] = entry.split('/');
        const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
        if (prefix === undefined)
            list.addAddress(address, type);
        else
            list.addSubnet(address, Number(prefix), type);
    }
    return list;
}
/** At most this many X-Forwarded-For entries are read, from the right. */
const MAX_FORWARDED_HOPS = 16;
function clientAddressOf(req, trusted) {
    const peer = normalise(req.socket.remoteAddress ?? '');
    if (!trusted?.check(peer, isIP(peer) === 6 ? 'ipv6' : 'ipv4'))
        return addressKey(peer);
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').slice(-MAX_FORWARDED_HOPS);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalise(hops[i].trim());
        const version = isIP(hop);
        // A malformed entry was written by whoever is beyond it: stop at the last address a trusted proxy vouched for.
        if (version === 0)
            break;
        client = hop;
        if (!trusted.check(hop, version === 6 ? 'ipv6' : 'ipv4'))
            break;
    }
    return addressKey(client);
}
/** An IPv4 client seen through an IPv6 socket (`::ffff:1.2.3.4`) is the IPv4 address. */
function normalise(address) {
    return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
/** The key one client's connections count under: the IPv4 address, or the IPv6 /64. */
export function addressKey(address) {
    if (isIP(address) !== 6)
        return address;
    const [head = '', tail = ''] = address.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
    return `${groups
        .slice(0, 4)
        .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
        .join(':')}::/64`;
}
