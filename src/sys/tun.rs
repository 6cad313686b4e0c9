//! tun/tap ioctls. (being written)
