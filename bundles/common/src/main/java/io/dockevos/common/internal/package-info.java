/** Helpers that dockevOS bundles embed privately; not an API, never exported. */
package io.dockevos.common.internal;
