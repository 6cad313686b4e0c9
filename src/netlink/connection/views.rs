//! Dumps handed out as typed views: [`MessageView`] says which message type
//! carries an object and how a message becomes its borrowed view;
//! [`Connection::for_each_view`] streams a dump through it (the one loop
//! behind `for_each_link`, `for_each_neighbour`, `for_each_filter`, ...).

use super::{Connection, DumpStatus};
use crate::error::{DecodeError, Error};
use crate::netlink::builder::Request;
use crate::netlink::message::Message;

/// An object's borrowed view of a message (`Link<'a>`, `Filter<'a>`, ...).
pub trait MessageView {
    /// The message type that carries the object (`RTM_NEWLINK`, ...); a
    /// dump's other messages are skipped.
    const MESSAGE_TYPE: u16;
    /// The view, borrowing from the message.
    type Of<'a>;
    /// Decode one message.
    fn parse<'a>(msg: &Message<'a>) -> Result<Self::Of<'a>, DecodeError>;
}

impl Connection {
    /// [`Connection::dump`] with each message of `V`'s type handed to `f`
    /// as its view, borrowed from the receive buffer: nothing is kept. A
    /// message that does not decode ends the dump with its error.
    pub fn for_each_view<V, E, F>(&mut self, request: Request, mut f: F) -> Result<DumpStatus, E>
    where
        V: MessageView,
        E: From<Error>,
        F: FnMut(&V::Of<'_>) -> Result<(), E>,
    {
        self.dump(request, |msg| {
            if msg.message_type() != V::MESSAGE_TYPE {
                return Ok(());
            }
            f(&V::parse(&msg).map_err(Error::from)?)
        })
    }
}
