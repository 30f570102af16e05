/** `portVariable` is the variable that set the port (e.g. PORT); null when `error` is not a listen failure. */
export function listenErrorLine(error, portVariable) {
    if (!(error instanceof Error))
        return null;
    const { code, syscall, address, port } = error;
    if (syscall === 'getaddrinfo')
        return `HOST: cannot resolve ${JSON.stringify(error.hostname)} (${code}); set HOST to an address of this machine, e.g. 127.0.0.1.`;
    if (syscall !== 'listen')
        return null;
    const where = `${address}:${port}`;
    switch (code) {
        case 'EADDRINUSE':
            return `${portVariable}: port ${port} is already in use on ${address} (EADDRINUSE); stop what listens on ${where}, or set ${portVariable} to a free port.`;
        case 'EACCES':
            return `${portVariable}: no permission to listen on ${where} (EACCES); ports below 1024 need privileges, so set ${portVariable} to a higher port.`;
        case 'EADDRNOTAVAIL':
            return `HOST: ${address} is not an address of this machine (EADDRNOTAVAIL); set HOST to one of its addresses, e.g. 127.0.0.1.`;
        default:
            return `${portVariable}: cannot listen on ${where} (${code}).`;
    }
}
