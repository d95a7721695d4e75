local d = import 'doc-util/main.libsonnet';
d.pkg('tcpRoute', '', '"TCPRoute provides a way to route TCP requests."')
