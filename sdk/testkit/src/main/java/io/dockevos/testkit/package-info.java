/**
 * The dockevOS test kit: in-framework tests of a plugin with JUnit 5.
 *
 * <pre>{@code
 * @DockevOSTest
 * class GreeterIT {
 *   @Service PluginManager plugins;
 *
 *   @Test
 *   void greets(DockevOSRuntime dockevos) {
 *     assertTrue(dockevos.run("greeter:greet name=World").contains("Hello, World!"));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.dockevos.testkit.DockevOSTest} starts one embedded dockevOS per test class, in a
 * temporary home, with the plugin under test installed and ACTIVE; {@link
 * io.dockevos.testkit.DockevOSRuntime} runs shell commands and updates the plugin; {@link
 * io.dockevos.testkit.Service} injects services. The test kit is a plain jar for the test class
 * path, not a bundle.
 */
package io.dockevos.testkit;
