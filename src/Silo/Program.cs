namespace Knative.Orleans.Silo; public static class Program { public static void Main(string[] args) { } }
