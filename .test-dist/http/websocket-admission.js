export const CLOSE_TOO_MANY = 4429;
export const CLOSE_IDLE = 4000;
export function createWebSocketAdmission({ guard, corsOrigins, maxPerAddress, idleMs }) {
    const allowed = new Set(corsOrigins);
    const byAddress = new Map();
    return {
        originAllowed(req, socket) {
            const origin = req.headers.origin;
            if (origin === undefined || allowed.has(origin) || URL.parse(origin)?.host === req.headers.host)
                return true;
            guard.closed('websocket-origin');
            socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
            return false;
        },
        admit(ws, req, busy) {
            const address = guard.clientAddress(req);
            const open = byAddress.get(address) ?? 0;
            if (open >= maxPerAddress) {
                guard.closed('websocket-per-address');
                ws.close(CLOSE_TOO_MANY, `Too many connections from one address (at most ${maxPerAddress})`);
                return false;
            }
            byAddress.set(address, open + 1);
            const idle = setTimeout(function check() {
                if (busy())
                    return void idle.refresh();
                guard.closed('websocket-idle');
                ws.close(CLOSE_IDLE, `Idle for ${Math.round(idleMs / 1000)} s with no operation; reconnect when needed`);
            }, idleMs);
            idle.unref();
            const active = () => idle.refresh();
            ws.on('message', active).on('ping', active);
            ws.once('close', () => {
                clearTimeout(idle);
                const left = (byAddress.get(address) ?? 1) - 1;
                if (left > 0)
                    byAddress.set(address, left);
                else
                    byAddress.delete(address);
            });
            return true;
        },
    };
}
