/** The greeter example plugin; nothing here is exported. */
package io.dockevos.example.greeter;
