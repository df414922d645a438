using System.Security.Cryptography;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>The admin API's bearer token: <c>Admin:Token</c>, or one generated on first start and kept in the data directory.</summary>
public static class AdminToken
{
    /// <summary>File name of the generated token inside the data directory.</summary>
    public const string FileName = "admin-token";

    /// <summary>Returns the configured token, or reads/creates <c>{dataPath}/admin-token</c> (mode 0600). Never logs the token.</summary>
    public static (string Token, string? File) Resolve(string? configured, string dataPath)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return (configured, null);
        }

        Directory.CreateDirectory(dataPath);
        var file = Path.GetFullPath(Path.Combine(dataPath, FileName));
        if (File.Exists(file))
        {
            var existing = File.ReadAllText(file).Trim();
            if (existing.Length > 0)
            {
                return (existing, file);
            }
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var temp = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, file, overwrite: true); // atomic: a crash never leaves a half-written token
        return (token, file);
    }
}
