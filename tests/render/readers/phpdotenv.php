<?php
// Print, as one JSON array, what vlucas/phpdotenv (Debian's package) parses
// from each file named on the command line; a file it rejects becomes
// {"__error__": message}.
require '/usr/share/php/Dotenv/autoload.php';

$results = [];
foreach (array_slice($argv, 1) as $file) {
    try {
        $results[] = (object) Dotenv\Dotenv::parse(file_get_contents($file));
    } catch (Throwable $error) {
        $results[] = ['__error__' => $error->getMessage()];
    }
}
echo json_encode($results, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
