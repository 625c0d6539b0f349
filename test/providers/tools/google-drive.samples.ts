import type { JsonValue } from '../../../src/providers/tool-definition.js'
import type { ToolSamples } from './sample.js'

// Response bodies in the shapes of https://developers.google.com/workspace/drive/api/reference/rest/v3
// (File, FileList, Permission, PermissionList), limited to the `fields` each tool asks for.

const FILE_FIELDS = 'id,name,mimeType,webViewLink,modifiedTime,size,parents,trashed'
const PERMISSION_FIELDS = 'id,type,role,emailAddress,domain,displayName'
const SHEET = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms'
const FOLDER = '0B7x9ZxVQ3Ys2fkFqc0tVdG1XbTE'

const budget = {
  kind: 'drive#file',
  id: SHEET,
  name: 'Q4 budget',
  mimeType: 'application/vnd.google-apps.spreadsheet',
  webViewLink: `https://docs.google.com/spreadsheets/d/${SHEET}/edit?usp=drivesdk`,
  modifiedTime: '2026-12-04T16:20:11.512Z',
  parents: [FOLDER],
  trashed: false,
}
const budgetOutput = {
  id: SHEET,
  name: 'Q4 budget',
  mimeType: 'application/vnd.google-apps.spreadsheet',
  url: budget.webViewLink,
  modifiedTime: '2026-12-04T16:20:11.512Z',
  parents: [FOLDER],
  trashed: false,
}
const renamed: JsonValue = { ...budget, name: 'Q4 budget (final)' }
const trashed: JsonValue = { ...budget, trashed: true }

const writeQuery = { fields: FILE_FIELDS, supportsAllDrives: 'true' }

export const googleDriveSamples: ToolSamples = {
  google_drive: [
    {
      slug: 'search_files',
      input: { q: "name contains 'budget' and trashed = false", orderBy: 'modifiedTime desc', pageSize: 2 },
      request: {
        method: 'GET',
        path: '/files',
        query: {
          q: "name contains 'budget' and trashed = false",
          orderBy: 'modifiedTime desc',
          pageSize: '2',
          fields: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`,
          supportsAllDrives: 'true',
          includeItemsFromAllDrives: 'true',
        },
      },
      response: {
        body: {
          nextPageToken: '~!!~AI9FV7Tq3w0JvCqDq1dN',
          incompleteSearch: false,
          files: [
            budget,
            {
              kind: 'drive#file',
              id: '1Zl0q0Ykq3v9qzKXrQpF0cJt8xw2b1Lk7',
              name: 'budget-2025.pdf',
              mimeType: 'application/pdf',
              webViewLink:
                'https://drive.google.com/file/d/1Zl0q0Ykq3v9qzKXrQpF0cJt8xw2b1Lk7/view?usp=drivesdk',
              modifiedTime: '2025-12-30T10:02:45.000Z',
              size: '482113',
              parents: [FOLDER],
              trashed: false,
            },
          ],
        },
      },
      output: {
        files: [
          {
            id: SHEET,
            name: 'Q4 budget',
            mimeType: 'application/vnd.google-apps.spreadsheet',
            url: budget.webViewLink,
            modifiedTime: '2026-12-04T16:20:11.512Z',
          },
          {
            id: '1Zl0q0Ykq3v9qzKXrQpF0cJt8xw2b1Lk7',
            name: 'budget-2025.pdf',
            mimeType: 'application/pdf',
            url: 'https://drive.google.com/file/d/1Zl0q0Ykq3v9qzKXrQpF0cJt8xw2b1Lk7/view?usp=drivesdk',
            modifiedTime: '2025-12-30T10:02:45.000Z',
            size: '482113',
          },
        ],
        nextPageToken: '~!!~AI9FV7Tq3w0JvCqDq1dN',
        incompleteSearch: false,
      },
    },
    {
      slug: 'search_files',
      name: 'everything, last page',
      input: { pageToken: '~!!~AI9FV7Tq3w0JvCqDq1dN' },
      request: {
        method: 'GET',
        path: '/files',
        query: {
          pageToken: '~!!~AI9FV7Tq3w0JvCqDq1dN',
          fields: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`,
          supportsAllDrives: 'true',
          includeItemsFromAllDrives: 'true',
        },
      },
      response: { body: { incompleteSearch: false, files: [] } },
      output: { files: [], incompleteSearch: false },
    },
    {
      slug: 'get_file',
      input: { fileId: SHEET },
      request: {
        method: 'GET',
        path: `/files/${SHEET}`,
        query: {
          fields: `${FILE_FIELDS},description,createdTime,owners(displayName,emailAddress)`,
          supportsAllDrives: 'true',
        },
      },
      response: {
        body: {
          ...budget,
          description: 'Numbers for the board',
          createdTime: '2026-10-01T08:00:00.000Z',
          owners: [
            {
              kind: 'drive#user',
              displayName: 'Alice Example',
              emailAddress: 'alice@example.com',
              permissionId: '06914163520863468553',
              me: true,
            },
          ],
        },
      },
      output: {
        ...budgetOutput,
        description: 'Numbers for the board',
        createdTime: '2026-10-01T08:00:00.000Z',
        owners: [{ name: 'Alice Example', email: 'alice@example.com' }],
      },
    },
    {
      slug: 'create_folder',
      input: { name: 'Board packs' },
      request: {
        method: 'POST',
        path: '/files',
        query: writeQuery,
        json: { name: 'Board packs', mimeType: 'application/vnd.google-apps.folder' },
      },
      response: {
        body: {
          kind: 'drive#file',
          id: '1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g',
          name: 'Board packs',
          mimeType: 'application/vnd.google-apps.folder',
          webViewLink: 'https://drive.google.com/drive/folders/1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g',
          modifiedTime: '2026-12-07T14:03:12.101Z',
          parents: ['0AGv0y2Qm5ZtLUk9PVA'],
          trashed: false,
        },
      },
      output: {
        id: '1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g',
        name: 'Board packs',
        mimeType: 'application/vnd.google-apps.folder',
        url: 'https://drive.google.com/drive/folders/1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g',
        modifiedTime: '2026-12-07T14:03:12.101Z',
        parents: ['0AGv0y2Qm5ZtLUk9PVA'],
        trashed: false,
      },
    },
    {
      slug: 'create_folder',
      name: 'inside another folder',
      input: { name: '2027', parents: [FOLDER] },
      request: {
        method: 'POST',
        path: '/files',
        query: writeQuery,
        json: { name: '2027', mimeType: 'application/vnd.google-apps.folder', parents: [FOLDER] },
      },
      response: {
        body: {
          kind: 'drive#file',
          id: '1Qf3N0rJc8Gd2vX4WmYpTb6sLh9uKe5aZ',
          name: '2027',
          mimeType: 'application/vnd.google-apps.folder',
          webViewLink: 'https://drive.google.com/drive/folders/1Qf3N0rJc8Gd2vX4WmYpTb6sLh9uKe5aZ',
          modifiedTime: '2026-12-07T14:04:40.877Z',
          parents: [FOLDER],
          trashed: false,
        },
      },
      output: {
        id: '1Qf3N0rJc8Gd2vX4WmYpTb6sLh9uKe5aZ',
        name: '2027',
        mimeType: 'application/vnd.google-apps.folder',
        url: 'https://drive.google.com/drive/folders/1Qf3N0rJc8Gd2vX4WmYpTb6sLh9uKe5aZ',
        modifiedTime: '2026-12-07T14:04:40.877Z',
        parents: [FOLDER],
        trashed: false,
      },
    },
    {
      slug: 'share_file',
      input: {
        fileId: SHEET,
        role: 'writer',
        type: 'user',
        emailAddress: 'bob@example.com',
        emailMessage: 'For Monday',
      },
      request: {
        method: 'POST',
        path: `/files/${SHEET}/permissions`,
        query: { emailMessage: 'For Monday', fields: PERMISSION_FIELDS, supportsAllDrives: 'true' },
        json: { role: 'writer', type: 'user', emailAddress: 'bob@example.com' },
      },
      response: {
        body: {
          kind: 'drive#permission',
          id: '13025740937456371524',
          type: 'user',
          role: 'writer',
          emailAddress: 'bob@example.com',
          displayName: 'Bob Martin',
        },
      },
      output: { id: '13025740937456371524', type: 'user', role: 'writer', emailAddress: 'bob@example.com' },
    },
    {
      slug: 'share_file',
      name: 'a whole domain, quietly',
      input: {
        fileId: SHEET,
        role: 'reader',
        type: 'domain',
        domain: 'example.com',
        sendNotificationEmail: false,
      },
      request: {
        method: 'POST',
        path: `/files/${SHEET}/permissions`,
        query: { sendNotificationEmail: 'false', fields: PERMISSION_FIELDS, supportsAllDrives: 'true' },
        json: { role: 'reader', type: 'domain', domain: 'example.com' },
      },
      response: {
        body: {
          kind: 'drive#permission',
          id: '11235446784934587655k',
          type: 'domain',
          role: 'reader',
          domain: 'example.com',
          displayName: 'Example',
        },
      },
      output: { id: '11235446784934587655k', type: 'domain', role: 'reader', domain: 'example.com' },
    },
    {
      slug: 'list_permissions',
      input: { fileId: SHEET },
      request: {
        method: 'GET',
        path: `/files/${SHEET}/permissions`,
        query: { fields: `nextPageToken,permissions(${PERMISSION_FIELDS})`, supportsAllDrives: 'true' },
      },
      response: {
        body: {
          permissions: [
            {
              kind: 'drive#permission',
              id: '06914163520863468553',
              type: 'user',
              role: 'owner',
              emailAddress: 'alice@example.com',
              displayName: 'Alice Example',
            },
            { kind: 'drive#permission', id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
          ],
        },
      },
      output: {
        permissions: [
          {
            id: '06914163520863468553',
            type: 'user',
            role: 'owner',
            emailAddress: 'alice@example.com',
            name: 'Alice Example',
          },
          { id: 'anyoneWithLink', type: 'anyone', role: 'reader' },
        ],
      },
    },
    {
      slug: 'rename_file',
      input: { fileId: SHEET, name: 'Q4 budget (final)' },
      request: {
        method: 'PATCH',
        path: `/files/${SHEET}`,
        query: writeQuery,
        json: { name: 'Q4 budget (final)' },
      },
      response: { body: renamed },
      output: { ...budgetOutput, name: 'Q4 budget (final)' },
    },
    {
      slug: 'trash_file',
      input: { fileId: SHEET },
      request: { method: 'PATCH', path: `/files/${SHEET}`, query: writeQuery, json: { trashed: true } },
      response: { body: trashed },
      output: { ...budgetOutput, trashed: true },
    },
  ],
}
