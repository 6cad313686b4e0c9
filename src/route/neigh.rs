//! Neighbours (ARP / NDP entries). (being written)
