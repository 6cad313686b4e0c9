//! Family-agnostic netlink. (to be written)
