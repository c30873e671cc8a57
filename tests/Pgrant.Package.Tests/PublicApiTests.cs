using System.Reflection;
using PublicApiGenerator;

namespace Pgrant.Package.Tests;

/// <summary>
/// The public API of each library package, checked against its approved text in PublicApi/. A change to the
/// surface fails here until the approved file is updated on purpose: the test writes PublicApi/NAME.received.txt
/// beside it, to review and copy over.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Libraries => ["Pgrant.Core", "Pgrant.Postgres", "Pgrant.Npgsql"];

    [Theory, MemberData(nameof(Libraries))]
    public void The_public_api_is_the_approved_one(string library)
    {
        var assembly = Assembly.Load(library);
        // The health-check registration lives in Microsoft.Extensions.DependencyInjection, which the generator skips unless allowed.
        var options = new ApiGeneratorOptions { IncludeAssemblyAttributes = false, AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"] };
        var api = assembly.GeneratePublicApi(options).Replace("\r\n", "\n");
        var folder = Path.Combine(Repository.Root, "tests", "Pgrant.Package.Tests", "PublicApi");
        var approvedFile = Path.Combine(folder, library + ".approved.txt");
        var receivedFile = Path.Combine(folder, library + ".received.txt");
        var approved = File.Exists(approvedFile) ? File.ReadAllText(approvedFile).Replace("\r\n", "\n") : "";
        if (api == approved)
        {
            File.Delete(receivedFile);
            return;
        }
        File.WriteAllText(receivedFile, api);
        Assert.Fail($"the public API of {library} changed: review {receivedFile} and, if the change is intended, copy it over {approvedFile}");
    }
}
