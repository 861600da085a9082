/** The test kit's implementation; not an API. */
package io.dockevos.testkit.internal;
