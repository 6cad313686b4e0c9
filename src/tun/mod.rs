//! tun/tap devices through /dev/net/tun. (being written)
