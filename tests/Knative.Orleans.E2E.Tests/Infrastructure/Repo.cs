namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>Paths of the repository the tests run from.</summary>
public static class Repo
{
    /// <summary>The directory holding Knative.Orleans.sln.</summary>
    public static string Root { get; } = Find();

    /// <summary>The test workload script.</summary>
    public static string HelloPy => Path.Combine(AppContext.BaseDirectory, "workloads", "hello.py");

    /// <summary>The protocol workload (gRPC over h2c, WebSocket, server-sent events), run with <c>dotnet</c>.</summary>
    public static string ProtocolWorkloadDll =>
        Path.Combine(Root, "artifacts", "bin", "ProtocolWorkload", "debug", "ProtocolWorkload.dll");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Knative.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Knative.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
