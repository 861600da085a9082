package io.dockevos.errors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Event Admin's own words when it denies a handler (Felix Event Admin 1.6.4, EventHandlerProxy.denyEventHandler). */
class HandlerDenialsTest {
  @Test
  void theBundleItsIdAndTheHandlerAreReadFromEventAdminsMessage() {
    Optional<HandlerDenials.Denied> d = HandlerDenials.parse("EventAdmin: Denying event handler from ServiceReference"
        + " [[org.osgi.service.event.EventHandler] | Bundle(io.dockevos.test.slowhandler [45])"
        + " | Handler(io.dockevos.test.slowhandler.SlowHandlerActivator$SlowHandler)] due to timeout!");
    assertEquals(Optional.of(new HandlerDenials.Denied("io.dockevos.test.slowhandler", 45,
        "io.dockevos.test.slowhandler.SlowHandlerActivator$SlowHandler")), d);
  }

  @Test
  void aBundleWithoutANameAndAHandlerAlreadyGone() {
    assertEquals(Optional.of(new HandlerDenials.Denied(null, 7, "?")), HandlerDenials.parse("EventAdmin: Denying event"
        + " handler from ServiceReference [[org.osgi.service.event.EventHandler, x.Y] | Bundle([7])] due to timeout!"));
  }

  @Test
  void otherMessagesAreNotDenials() {
    assertTrue(HandlerDenials.parse("EventAdmin: Exception during event dispatch [...]").isEmpty());
  }
}
