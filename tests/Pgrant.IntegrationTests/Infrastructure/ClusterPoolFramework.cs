using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

// The tests run local clusters as another OS user, with Unix file modes and sockets: Linux (and Unix) only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[assembly: TestFramework("Pgrant.IntegrationTests.Infrastructure.ClusterPoolFramework", "Pgrant.IntegrationTests")]

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// The standard xunit framework plus one step: the shared clusters are stopped and deleted after
/// the last test, before the run reports completion. Process-exit cleanup alone is not enough
/// because the test host may be terminated moments after the run finishes.
/// </summary>
public sealed class ClusterPoolFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await ClusterPool.DisposeAllAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
