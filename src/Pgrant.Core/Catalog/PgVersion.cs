namespace Pgrant.Core.Catalog;

/// <summary>A server version as server_version_num (e.g. 150018 = 15.18).</summary>
/// <param name="Number">server_version_num: major × 10000 + minor.</param>
public readonly record struct PgVersion(int Number)
{
    /// <summary>The major version (13, 14 … 18): what decides catalogs, syntax and privileges.</summary>
    public int Major => Number / 10000;

    /// <summary>The minor (bug-fix) release within the major version.</summary>
    public int Minor => Number % 10000;

    /// <summary>Whether the server is of major version <paramref name="major"/> or later.</summary>
    public bool AtLeast(int major) => Major >= major;

    /// <summary>"major.minor", as people write it (15.18).</summary>
    public override string ToString() => $"{Major}.{Minor}";
}
