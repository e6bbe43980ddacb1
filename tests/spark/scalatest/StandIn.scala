// A stand-in for the few ScalaTest names the generated Scala projects' suites use, so that CI can
// compile and run those suites with the Scala compiler inside the pyspark wheel (ScalaTest is on
// Maven Central, which is not reachable here). It is never part of a generated project: the
// project's build.gradle asks for the real ScalaTest.
//
// What it keeps of ScalaTest: `AnyFunSuite` registers `test(name) { ... }` bodies in order and
// runs each once; `assert(condition[, clue])` fails the test; `assume(condition[, clue])` cancels
// it; `BeforeAndAfterAll` runs `beforeAll()` first and `afterAll()` last, also after a failure.
// What it does not: ScalaTest's assertion macros (a failed `assert(a == b)` says only the clue, not
// the two values), tags, fixtures, matchers and parallel suites.
package org.scalatest {
  class TestCanceledException(message: String) extends RuntimeException(message)

  trait BeforeAndAfterAll {
    def beforeAll(): Unit = ()
    def afterAll(): Unit = ()
  }

  /** Runs suites by class name, prints one line per test as ScalaTest's reporter does, and exits
    * 1 when a test failed or no test ran (a suite that registers nothing proves nothing).
    */
  object StandInRunner {
    def main(args: Array[String]): Unit = {
      var (passed, failed, canceled) = (0, 0, 0)
      for (name <- args) {
        val suite = Class.forName(name).getDeclaredConstructor().newInstance().asInstanceOf[funsuite.AnyFunSuite]
        println(s"${name.split('.').last}:")
        val (p, f, c) = suite.runAll()
        passed += p; failed += f; canceled += c
      }
      println(s"Tests: succeeded $passed, failed $failed, canceled $canceled")
      if (failed > 0 || passed + canceled == 0) sys.exit(1)
    }
  }
}

package org.scalatest.funsuite {
  import org.scalatest.{BeforeAndAfterAll, TestCanceledException}

  class AnyFunSuite {
    private val tests = scala.collection.mutable.ArrayBuffer.empty[(String, () => Unit)]

    protected def test(name: String)(body: => Any): Unit = {
      require(!tests.exists(_._1 == name), s"duplicate test name: $name")
      tests += (name -> (() => { body; () }))
    }

    protected def assert(condition: Boolean, clue: Any = ""): Unit =
      if (!condition) throw new AssertionError(s"assertion failed${if (clue == "") "" else s": $clue"}")

    protected def assume(condition: Boolean, clue: Any = ""): Unit =
      if (!condition) throw new TestCanceledException(s"assumption failed: $clue")

    /** Runs every registered test in order: (passed, failed, canceled). */
    private[scalatest] def runAll(): (Int, Int, Int) = {
      val hooks = this match {
        case b: BeforeAndAfterAll => Some(b)
        case _ => None
      }
      var (passed, failed, canceled) = (0, 0, 0)
      hooks.foreach(_.beforeAll())
      try {
        for ((name, body) <- tests) {
          try { body(); passed += 1; println(s"- $name") }
          catch {
            case e: TestCanceledException => canceled += 1; println(s"- $name !!! CANCELED !!!\n  ${e.getMessage}")
            case e: Throwable =>
              failed += 1
              println(s"- $name *** FAILED ***\n  ${e.getMessage}")
              e.getStackTrace.take(8).foreach(frame => println(s"    at $frame"))
          }
        }
      } finally hooks.foreach(_.afterAll())
      (passed, failed, canceled)
    }
  }
}
