/** The external plugins' implementation: not exported. */
package io.dockevos.external.internal;
