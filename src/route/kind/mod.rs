//! Device kinds beyond veth: their IFLA_INFO_DATA, encoded and decoded. (being written)
