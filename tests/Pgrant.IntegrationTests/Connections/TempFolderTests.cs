using System.Globalization;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// What the connection tests share: the password of the connection server's login role, a private temporary
/// folder (a home, a service or password file's place) deleted after each test, and port numbers as text.
/// </summary>
public abstract class TempFolderTests(string folderPrefix) : IDisposable
{
    /// <summary>The password of sdc on the connection test server.</summary>
    protected const string Password = ConnectionServerFixture.SdcPassword;

    /// <summary>The test's own folder, deleted with everything in it afterwards.</summary>
    protected DirectoryInfo Root { get; } = Directory.CreateTempSubdirectory(folderPrefix);

    /// <summary>A port number as libpq writes it.</summary>
    protected static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Root.Delete(recursive: true);
    }
}
